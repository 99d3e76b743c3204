/** Preparing workflow JSON for a run: stubs, the start node, credential references. */

import type {
	IConnections,
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IWorkflowSettings,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { HarnessNodeTypes, isTriggerType, stubTrigger } from './nodeTypes';
import { BASE_PACKAGE } from './packages';
import type { Engine } from './packages';

const MANUAL_TRIGGER = `${BASE_PACKAGE}.manualTrigger`;

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

function hasIncomingMain(connections: IConnections, nodeName: string): boolean {
	return Object.values(connections).some((bySource) =>
		(bySource.main ?? []).some((targets) =>
			(targets ?? []).some((target) => target.node === nodeName),
		),
	);
}

/** Trigger types that are not installed get a stub, so workflows with them stay runnable. */
export function stubMissingTriggers(engine: Engine, json: WorkflowJson): Map<string, INodeType> {
	const stubs = new Map<string, INodeType>();
	const lookup = new HarnessNodeTypes(engine);
	for (const node of json.nodes) {
		const missing = !lookup.has(node.type);
		if (missing && /trigger$/i.test(node.type) && !hasIncomingMain(json.connections, node.name)) {
			stubs.set(node.type, stubTrigger(node.type));
		}
	}
	return stubs;
}

/** The node a run starts from: the manual trigger, else the first enabled trigger without inputs. */
export function findStartNode(workflow: Workflow, json: WorkflowJson): INode {
	const candidates = json.nodes
		.map((node) => workflow.getNode(node.name)!)
		.filter((node) => !node.disabled && !hasIncomingMain(json.connections, node.name))
		.filter((node) =>
			isTriggerType(workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion)),
		);
	const start = candidates.find((node) => node.type === MANUAL_TRIGGER) ?? candidates[0];
	if (!start) throw new Error('The workflow has no trigger to start from');
	return start;
}

/**
 * Gives nodes a reference to a test credential they can use but do not name (hand-written JSON,
 * or a reference to be "chosen" at import). Stored references are left as they are.
 */
export function attachCredentialRefs(
	nodeTypes: INodeTypes,
	nodes: INode[],
	available: string[],
): void {
	for (const node of nodes) {
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const declared = (nodeType.description.credentials ?? []).map((credential) => credential.name);
		const chosen = node.parameters?.nodeCredentialType; // HTTP Request "predefined credential"
		for (const type of available) {
			if (node.credentials?.[type]) continue;
			if (declared.includes(type) || chosen === type) {
				node.credentials = {
					...(node.credentials ?? {}),
					[type]: { id: `test-${type}`, name: `${type} (test)` },
				};
			}
		}
	}
}
