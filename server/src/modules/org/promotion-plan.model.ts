import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * The plan a person confirmed, frozen with the ids of the students it moves
 * when its job first runs. A retried job applies this plan, not a new one
 * made from a half-promoted roster, and each step only touches its own
 * students still where the plan found them, so a step done twice moves
 * nobody twice.
 */
const promotionPlanSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    planHash: { type: String, required: true },
    graduating: [{ _id: false, classId: String, label: String, studentIds: [String] }],
    moves: [{ _id: false, fromClassId: String, fromLabel: String, toClassId: { type: String, default: null }, toLabel: String, newClass: { type: { gradeId: String, name: String }, default: null }, studentIds: [String] }],
    totals: { promoted: Number, graduated: Number, classesCreated: Number },
  },
  { timestamps: true, versionKey: false },
);

export const PromotionPlanModel = defineModel('PromotionPlan', 'promotion_plans', promotionPlanSchema);
