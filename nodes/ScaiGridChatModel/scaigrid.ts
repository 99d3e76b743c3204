/**
 * Everything this sub-node takes from the rest of the package, in one place: the client, the
 * retry policy and options, errors, model picker, the Chat node's call, stream reader and cost.
 * When shared code moves, only these lines change.
 */
export { ScaiGridClient } from '../shared/transport/client';
export { ScaiGridError, toNodeApiError } from '../shared/transport/errors';
export { searchModels } from '../shared/api/models';
export {
	callOptionFields,
	callOptionsFor,
	modelLocator,
	samplingFields,
} from '../shared/descriptions';
export type { CallOptionValues } from '../shared/descriptions';
export type { RetryPolicy } from '../shared/retry/policy';
export type { ChatChunk, ChatResponse, Model } from '../shared/api/schemas';
export { settle } from '../shared/execution/settle';
export { CHAT_PATH, callChat } from '../ScaiGridChat/call/call';
export { modelLookup } from '../shared/api/modelInfo';
export type { ModelLookup } from '../shared/api/modelInfo';
export { costOf } from '../ScaiGridChat/call/prices';
export type { CostInfo } from '../ScaiGridChat/call/prices';
export { replyText } from '../ScaiGridChat/result';
export { readChatStream } from '../ScaiGridChat/call/stream';
