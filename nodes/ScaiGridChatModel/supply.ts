/**
 * The part of the sub-node that needs @n8n/ai-node-sdk (n8n 2.16 and newer): the model class and
 * n8n's wrapper around it. The node file loads this only when a workflow uses the model, so on an
 * older n8n the package (its other nodes, its credential) still loads; see ScaiGridChatModel.node.ts.
 */
import type { ChatModelConfig } from '@n8n/ai-node-sdk';
import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import type { ScaiGridModelSettings } from './model';
import { ScaiGridChatModel } from './model';

export function supplyScaiGridModel(
	ctx: ISupplyDataFunctions,
	modelId: string,
	settings: ScaiGridModelSettings,
	config: ChatModelConfig,
	cancelSignal?: AbortSignal,
): SupplyData {
	return supplyModel(ctx, new ScaiGridChatModel(modelId, settings, config, cancelSignal));
}
