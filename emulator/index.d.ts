// Types of the emulator's exported API (index.js), for the TypeScript tests. The emulator stays
// plain JavaScript written from docs/scaigrid-api.md; this file describes it and must follow it.

import type { IncomingHttpHeaders } from 'node:http';

/** The permissions a key can hold (contract section 6); keys get all of them by default. */
export type Permission =
	| 'models:list'
	| 'models:use'
	| 'accounting:view_own'
	| 'accounting:view_tenant'
	| 'accounting:view_partner';

/** The key-level sliding window. A missing or non-finite field takes its default. */
export interface RateLimitConfig {
	/** Requests per window; default 60. */
	limit?: number;
	/** Window length; default 60000. */
	windowMs?: number;
}

/** `false` (or `null`) switches limiting and the rate-limit headers off. */
export type RateLimitSetting = RateLimitConfig | false | null;

/** What a latency function sees of a `/v1` request (headers unredacted, as they arrived). */
export interface LatencyRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** The parsed JSON body; null when the request had none (or it was not JSON). */
	body: any;
	headers: IncomingHttpHeaders;
}

/** Milliseconds to wait before handling a `/v1` request. */
export type LatencyFn = (request: LatencyRequest) => number;

export interface KeySpec {
	/** The key's value; default `sgk_` + 40 hex, derived from a counter (stable across runs). */
	key?: string;
	/** Default: every permission. */
	permissions?: readonly Permission[];
	/** Default 'acme'. */
	tenantId?: string;
	/** Default 'usr_demo'. */
	userId?: string;
	/** Default 'partner_scailabs'. */
	partnerId?: string;
	/** A revoked key answers 401 AUTH_TOKEN_INVALID. Default false. */
	revoked?: boolean;
}

/** Deterministic usage history over the last `days` days (same `now` and seed → same records). */
export interface SeedHistoryOptions {
	/** Default 420. */
	records?: number;
	/** Default 21. */
	days?: number;
	/** Default 42. */
	seed?: number;
}

export interface EmulatorOptions {
	/** Default 0: any free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** The default (full-permission) key's value; default derived, stable across runs. */
	apiKey?: string;
	/** More keys: a string is a full-permission key with that value. */
	keys?: ReadonlyArray<string | KeySpec>;
	/** Default `{ limit: 60, windowMs: 60000 }`; `reset()` restores it. */
	rateLimit?: RateLimitSetting;
	/** Delay before each `/v1` request is handled; default 0; `reset()` restores it. */
	latencyMs?: number | LatencyFn;
	/** Milliseconds between the frames of a successful stream; default 0 (one write). */
	streamPacingMs?: number;
	/** Models per page of GET /v1/models; default 20. */
	modelsPageSize?: number;
	/** Seeded usage history, also re-seeded by `reset()`; default none. */
	seedHistory?: boolean | SeedHistoryOptions;
	/** The clock for usage records, periods and budgets; default `() => new Date()`. */
	now?: () => Date;
	/** Keep the request log (`requests`); default true. */
	logRequests?: boolean;
}

/** One frame a paced stream wrote (`setStreamPacing`). */
export interface StreamWrite {
	/** `performance.now()` of the emulator's process when the frame was written. */
	at: number;
	frame: string;
}

/** A `/v1` request as the log keeps it (`requests`, `GET /_emulator/requests`). */
export interface LoggedRequest {
	method: string;
	/** Without the query string. */
	path: string;
	query: Record<string, string>;
	/**
	 * The parsed JSON body exactly as the client sent it (null when there was none or it was not
	 * JSON). Typed `any` on purpose: tests assert on what clients send, whatever its shape.
	 */
	body: any;
	/** The request's headers; `authorization` is replaced by `Bearer <key_N>` or `Bearer <unknown>`. */
	headers: IncomingHttpHeaders;
	/** Whether any Authorization header arrived (its value is never logged). */
	authorizationSent: boolean;
	/** Arrival, in ms since the emulator started (µs precision). */
	time: number;
	/** The status answered; null while unanswered, 0 when the socket was reset (fault 'reset'). */
	status: number | null;
	request_id: string;
	/** The Location a 'redirect' fault answered with. */
	redirectedTo?: string;
	/** Paced streams only: each frame written, in order. */
	streamWrites?: StreamWrite[];
	/** Paced streams only: how the stream ended. */
	streamEnd?: 'complete' | 'client-closed';
}

/**
 * Which requests a fault matches: a substring of the path, a RegExp, or `{ regex, flags }`
 * (the form JSON can carry). Default: every `/v1/` path.
 */
export type FaultPath = string | RegExp | { regex: string; flags?: string };

interface FaultTiming {
	/** How many matching requests the fault answers; default 1 (ignored with `forMs`). */
	count?: number;
	/**
	 * Instead of a count: every matching request for this many ms, counted from the first request
	 * the fault answers. Must be a positive number.
	 */
	forMs?: number;
	/** How many matching requests pass untouched before the fault answers (a fault mid-run). */
	skip?: number;
	path?: FaultPath;
}

/** An error envelope (applies before authentication). */
export interface ErrorFault extends FaultTiming {
	fault?: undefined;
	/** Default 'BACKEND_ERROR'; any string (unknown codes answer 500 unless `httpStatus` is given). */
	code?: string;
	/** Default: the code's status from the contract's table. */
	httpStatus?: number;
	/** Seconds; sent as `Retry-After` and `error.retry_after`. */
	retryAfter?: number;
	/**
	 * RATE_LIMITED only: seconds until the rate-limit trio's Reset (>= 0). Given, the trio is sent
	 * even while the limiter is off. Default: `retryAfter` (or 1).
	 */
	resetAfter?: number;
	/** Default: the code's standard message. */
	message?: string;
	/** Sent as `error.details`; VALIDATION_ERROR gets an injected one when not given. */
	details?: unknown;
}

/** A transport-level answer instead of ScaiGrid's (applies before authentication). */
export interface TransportFault extends FaultTiming {
	/**
	 * reset: the socket is destroyed; html502: a proxy's HTML 502; invalidJson: 200 with cut-off
	 * JSON; missingData: an ok envelope without data; nonScaigridJson: 200 JSON of another API.
	 */
	fault: 'reset' | 'html502' | 'invalidJson' | 'missingData' | 'nonScaigridJson';
}

/** A well-formed ok envelope carrying `data` (default `{}`), where the endpoint sends something else (audio). */
export interface JsonOkFault extends FaultTiming {
	fault: 'jsonOk';
	data?: unknown;
}

/** Waits, then handles the request normally. */
export interface SlowFault extends FaultTiming {
	fault: 'slow';
	/** Default 5000. */
	delayMs?: number;
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** A proxy's redirect, before authentication; the log entry gets `redirectedTo`. */
export interface RedirectFault extends FaultTiming {
	fault: 'redirect';
	/** Absolute or relative, sent as given; `{path}` stands for the request's own path and query. */
	location: string;
	/** Default 307. */
	httpStatus?: RedirectStatus;
}

/** Streaming chat (`stream: true`) only, once a valid request is about to stream. */
export interface StreamFault extends FaultTiming {
	/**
	 * streamErrorFirst / streamErrorMidway: an `event: error` frame (with `code`, `message`), then
	 * `[DONE]`; streamNoDone: content chunks only; streamCut: half the frames, then the socket is
	 * destroyed.
	 */
	fault: 'streamErrorMidway' | 'streamErrorFirst' | 'streamNoDone' | 'streamCut';
	/** The error frame's code; default 'BACKEND_ERROR'. */
	code?: string;
	/** The error frame's message; default 'upstream failed'. */
	message?: string;
}

export type FaultSpec =
	ErrorFault | TransportFault | JsonOkFault | SlowFault | RedirectFault | StreamFault;

/** A usage record as GET /v1/accounting/usage returns it. */
export interface UsageRecord {
	id: string;
	model: string;
	backend_id: string;
	user_id: string;
	tenant_id: string;
	partner_id: string;
	tokens_in: number;
	tokens_out: number;
	/** Exact decimal string, at least 6 decimals. */
	cost: string;
	/** Exact decimal string; default 70 % of cost. */
	backend_cost: string;
	latency_ms: number;
	/** ISO 8601. */
	created_at: string;
	request_id: string;
}

/** A partial record: the rest is filled in (cost from the model's prices, ids, now). */
export interface UsageRecordInput {
	model?: string;
	id?: string;
	backend_id?: string;
	user_id?: string;
	tenant_id?: string;
	partner_id?: string;
	tokens_in?: number;
	tokens_out?: number;
	/** A decimal (string or number). */
	cost?: string | number;
	backend_cost?: string | number;
	/** Copied as given (0 when falsy): a non-number makes a malformed record for client tests. */
	latency_ms?: unknown;
	/** Anything `new Date()` reads; default now. */
	created_at?: string | number | Date;
	request_id?: string;
}

export type BudgetScope = 'partner' | 'tenant' | 'user' | 'group';
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';
export type BudgetAction = 'block' | 'notify' | 'throttle';

/** At least one of cost_limit, token_limit, request_limit (else `addBudget` throws). */
export interface BudgetSpec {
	/** Default `bud_0001`, ... */
	id?: string;
	name?: string;
	/** Default 'tenant'. */
	scope?: BudgetScope;
	/** Default: the default key's tenant, user or partner for that scope; null for 'group'. */
	scope_id?: string | null;
	/** 'group' scope: the user ids it covers. */
	members?: string[];
	/** Default 'monthly'. */
	period?: BudgetPeriod;
	/** A decimal (string or number). */
	cost_limit?: string | number | null;
	token_limit?: number | null;
	request_limit?: number | null;
	/** Default 'block': a reached block budget answers chat with 429 BUDGET_EXCEEDED. */
	hard_action?: BudgetAction;
	/** Default 0.8. */
	soft_limit_pct?: number;
}

/** A budget with its current usage, as GET /v1/accounting/budgets returns it. */
export interface BudgetView {
	id: string;
	name: string;
	scope: BudgetScope;
	scope_id: string | null;
	members?: string[];
	period: BudgetPeriod;
	cost_limit: string | null;
	token_limit: number | null;
	request_limit: number | null;
	hard_action: BudgetAction;
	soft_limit_pct: number;
	current_cost: string;
	current_tokens: number;
	current_requests: number;
	/** ISO 8601; null for period 'total'. */
	period_start: string | null;
	period_end: string | null;
	is_blocked: boolean;
}

/** A running emulator (what `startEmulator` resolves to). */
export interface Emulator {
	/** `http://127.0.0.1:<port>` (IPv6 hosts in brackets). */
	readonly url: string;
	readonly port: number;
	/** The default key: all permissions, user usr_demo, tenant acme, partner partner_scailabs. */
	readonly apiKey: string;
	/** The `/v1` request log, oldest first (the same array until cleared or reset). */
	readonly requests: LoggedRequest[];
	clearRequests(): void;
	/** Adds a key and returns its value. */
	addKey(spec?: KeySpec): string;
	revokeKey(key: string): void;
	/** Queues a fault; throws on an unknown fault, a redirect without location, bad forMs/resetAfter. */
	failNext(spec?: FaultSpec): void;
	/** Faults still queued. */
	readonly pendingFaults: number;
	/** 0 (or nothing) for none. */
	setLatency(msOrFn?: number | LatencyFn | null): void;
	/** 0 (or nothing) for unpaced streams. */
	setStreamPacing(ms?: number | null): void;
	setRateLimit(config: RateLimitSetting): void;
	setModelsPageSize(n: number): void;
	/** Every usage record, oldest first. */
	readonly usage: UsageRecord[];
	/** Adds records (completed as the emulator would) and returns them. */
	addUsageRecords(records: UsageRecordInput[]): UsageRecord[];
	/** Adds a budget and returns its view; throws on an invalid spec. */
	addBudget(spec: BudgetSpec): BudgetView;
	readonly budgets: BudgetView[];
	/**
	 * Back to the start: no faults, empty log, usage and budgets (history re-seeded), the options'
	 * rate limit, latency, stream pacing and page size, request ids from 1. Keys stay.
	 */
	reset(): void;
	/** Stops the server and its timers, closing open connections. */
	close(): Promise<void>;
}

export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;
