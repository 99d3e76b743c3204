/**
 * Runs exported n8n workflow JSON in n8n's own engine (n8n-core `WorkflowExecute`), inside the
 * jest process: no database, no server, no mocked n8n helpers.
 *
 * - Our package is loaded the way n8n loads a community package: `PackageDirectoryLoader` on the
 *   project root reads package.json's `n8n` section and requires the compiled files in dist/.
 *   Its node types resolve under their production names, `n8n-nodes-scaigrid.<nodeName>`.
 * - Real `n8n-nodes-base` nodes (Set, If, Merge, Switch, HTTP Request, Manual/Schedule Trigger...)
 *   come from node_modules via `LazyPackageDirectoryLoader`: only the classes a workflow uses are
 *   required, on first use.
 * - Credentials come from `RunOptions.credentials` through a real `ICredentialsHelper`, which
 *   applies the credential type's defaults and its `authenticate` (function or generic form).
 * - HTTP is n8n's own: nodes, the credential test (`testCredential`) and the model picker
 *   (`searchList`) call n8n-core's `httpRequestWithAuthentication`, which sends through
 *   `@n8n/backend-network`'s `OutboundHttp` (axios + follow-redirects) exactly as in n8n, redirects
 *   included: followed by default, and the Authorization header re-attached on a cross-origin
 *   hop unless the request says `sendCredentialsOnCrossOriginRedirect: false`
 *   (`getBeforeRedirectFn` in `@n8n/backend-network/dist/http/axios/utils.js`).
 *
 * Everything heavy is loaded once per jest test file (jest gives each test file its own module
 * registry, so "once per worker" is not possible without sharing module instances across
 * registries, which would break n8n's `instanceof` checks).
 */
import './env'; // first: sets N8N_USER_FOLDER etc. before n8n-core loads

// The harness lives in ./n8n/, one small file per job:
//   packages        the node packages (ours from dist/, n8n-nodes-base, registered ones)
//   nodeTypes       node types by full name, trigger stubs
//   credentials     the ICredentialsHelper over test credential data
//   additionalData  what the engine reads from the "server"; execution ids
//   workflow        workflow JSON prepared for a run (start node, credential references)
//   runWorkflow     a run in WorkflowExecute; cancel: waiting and cancelling; result: RunResult
//   items, files    input items and binary data; workflow files
//   searchList      a resource locator's "From List" search
//   credentialTest  the credential's "Test" button

export { runWorkflow } from './n8n/runWorkflow';
export type { RunOptions } from './n8n/runWorkflow';
export type { Chunk, RunResult } from './n8n/result';
export { registerNodePackage } from './n8n/packages';
export { binaryData, toItems } from './n8n/items';
export { loadWorkflowFile } from './n8n/files';
export { searchList } from './n8n/searchList';
export { testCredential } from './n8n/credentialTest';
