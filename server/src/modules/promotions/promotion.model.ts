import { Schema } from 'mongoose';
import { PROMOTION_SLOTS } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * A bank's promotion slot in the mini-program ("open a card for tuition"):
 * shown exactly as the bank configures it, to every parent of the bank's
 * schools (or of the schools it names), never targeted by tags or payments.
 */
const promotionSchema = new Schema(
  {
    _id: { type: String, required: true },
    bankId: { type: String, required: true },
    slot: { type: String, enum: PROMOTION_SLOTS, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    ctaText: { type: String, default: '' },
    link: { type: String, default: '' },
    imageUrl: { type: String, default: '' },
    nodeIds: { type: [String], default: [] },
    startDay: { type: String, required: true },
    endDay: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    sortOrder: { type: Number, default: 0 },
    updatedBy: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
promotionSchema.index({ bankId: 1 });
export const PromotionModel = defineModel('Promotion', 'promotions', promotionSchema);

export type PromotionDoc = {
  _id: string;
  bankId: string;
  slot: (typeof PROMOTION_SLOTS)[number];
  title: string;
  body: string;
  ctaText: string;
  link: string;
  imageUrl: string;
  nodeIds: string[];
  startDay: string;
  endDay: string;
  enabled: boolean;
  sortOrder: number;
};
