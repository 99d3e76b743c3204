/** Node types by their full name (`<package>.<node>`), as n8n's NodeTypes resolves them. */

import type {
	IDataObject,
	INodeType,
	INodeTypes,
	ITriggerFunctions,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { Engine } from './packages';

function splitTypeName(fullType: string): [pkg: string, name: string] {
	const dot = fullType.lastIndexOf('.');
	return dot < 0 ? ['', fullType] : [fullType.slice(0, dot), fullType.slice(dot + 1)];
}

/** Resolves `<package>.<node>` names the way n8n's NodeTypes does, plus per-run stubs. */
export class HarnessNodeTypes implements INodeTypes {
	constructor(
		private readonly engine: Engine,
		private readonly stubs: Map<string, INodeType> = new Map(),
	) {}

	has(fullType: string): boolean {
		try {
			this.getByName(fullType);
			return true;
		} catch {
			return false;
		}
	}

	getByName(fullType: string): INodeType | IVersionedNodeType {
		const stub = this.stubs.get(fullType);
		if (stub) return stub;
		const [pkg, name] = splitTypeName(fullType);
		const loader = this.engine.loaders.get(pkg);
		if (!loader) {
			if (pkg === this.engine.projectPackageName && this.engine.projectLoadError) {
				throw new Error(
					`Node type "${fullType}": package ${pkg} could not be loaded from dist/ ` +
						`(run \`npm run build\`): ${this.engine.projectLoadError.message}`,
				);
			}
			throw new Error(`Unrecognized node type: ${fullType} (package "${pkg}" is not loaded)`);
		}
		return loader.getNode(name).type;
	}

	getByNameAndVersion(fullType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(fullType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Stands in for a trigger whose package is not installed (e.g. the LangChain Chat Trigger):
 * a manual run emits one item with a timestamp, like a schedule firing now.
 */
export function stubTrigger(fullType: string): INodeType {
	return {
		description: {
			displayName: `Stub of ${fullType}`,
			name: fullType,
			group: ['trigger'],
			version: [1, 1.1, 1.2, 1.3, 1.4, 2, 3],
			description: 'Test harness stand-in for a trigger that is not installed',
			defaults: { name: 'Trigger' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async trigger(this: ITriggerFunctions) {
			const emit = () =>
				this.emit([this.helpers.returnJsonArray([{ timestamp: new Date().toISOString() }])]);
			return { manualTriggerFunction: async () => emit() };
		},
	} as INodeType;
}

export function isTriggerType(nodeType: INodeType): boolean {
	const { description } = nodeType;
	return (
		!!nodeType.trigger ||
		!!nodeType.poll ||
		!!nodeType.webhook ||
		(description.group ?? []).includes('trigger')
	);
}
