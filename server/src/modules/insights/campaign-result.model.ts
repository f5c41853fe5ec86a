import { Schema } from 'mongoose';
import { CAMPAIGN_PRODUCTS } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * A card or account opened in a bank campaign by a parent of the platform's
 * schools, matched by keyed phone hash (the phone itself is never stored,
 * and rows matching nobody are not kept). `orgPath` is the union of the
 * matched guardian's children's ancestry, for counting per node.
 */
const campaignResultSchema = new Schema(
  {
    _id: { type: String, required: true },
    bankId: { type: String, required: true },
    campaign: { type: String, required: true },
    product: { type: String, enum: CAMPAIGN_PRODUCTS, required: true },
    day: { type: String, required: true },
    phoneHash: { type: String, required: true },
    matched: { type: Boolean, required: true },
    orgPath: { type: [String], required: true },
    importedBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
campaignResultSchema.index({ orgPath: 1, matched: 1 });
export const CampaignResultModel = defineModel('CampaignResult', 'insight_campaign_results', campaignResultSchema);
