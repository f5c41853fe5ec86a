import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/** A parent's WeChat identity in our mini-program. */
const parentSchema = new Schema(
  {
    openid: { type: String, required: true },
    appid: { type: String, default: null },
    unionid: { type: String, default: null },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
parentSchema.index({ openid: 1 }, { unique: true });
export const ParentModel = defineModel('Parent', 'parents', parentSchema);

/** A parent ↔ child binding; the id makes binding the same child twice a no-op. */
const parentChildSchema = new Schema(
  {
    _id: { type: String, required: true },
    parentId: { type: String, required: true },
    studentId: { type: String, required: true },
    via: { type: String, enum: ['student-no', 'invite-code'], required: true },
  },
  { timestamps: true, versionKey: false },
);
parentChildSchema.index({ parentId: 1 });
parentChildSchema.index({ studentId: 1 });
export const ParentChildModel = defineModel('ParentChild', 'parent_children', parentChildSchema);

/** A binding's id: found by `_id` when both sides are known. */
export function parentChildId(parentId: string, studentId: string): string {
  return `${parentId}:${studentId}`;
}

/** Insert-only record of binding attempts, counted for rate limits. */
const bindAttemptSchema = new Schema(
  {
    parentId: { type: String, required: true },
    studentKey: { type: String, required: true },
    success: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
bindAttemptSchema.index({ parentId: 1, at: -1 });
bindAttemptSchema.index({ studentKey: 1, at: -1 });
export const BindAttemptModel = defineModel('BindAttempt', 'bind_attempts', bindAttemptSchema);
