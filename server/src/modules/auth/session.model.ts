import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/** A sign-in session; the id is the SHA-256 of the bearer token, so a leaked database does not leak tokens. */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['staff', 'parent'], required: true },
    subjectId: { type: String, required: true },
    grantIndex: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    ip: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
sessionSchema.index({ subjectId: 1 });

export const SessionModel = defineModel('Session', 'sessions', sessionSchema);

/** Every staff sign-in attempt, insert-only: lock-out counts recent failures without a racy counter. */
const loginAttemptSchema = new Schema(
  {
    username: { type: String, required: true },
    success: { type: Boolean, required: true },
    at: { type: Date, required: true },
    ip: { type: String, default: null },
  },
  { versionKey: false },
);
loginAttemptSchema.index({ username: 1, at: -1 });

export const LoginAttemptModel = defineModel('LoginAttempt', 'login_attempts', loginAttemptSchema);
