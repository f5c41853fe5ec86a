import { Schema } from 'mongoose';
import { STAFF_ROLES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

const grantSchema = new Schema({ role: { type: String, enum: STAFF_ROLES, required: true }, nodeId: { type: String, required: true } }, { _id: false });

const staffUserSchema = new Schema(
  {
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    grants: { type: [grantSchema], required: true },
    mustChangePassword: { type: Boolean, default: true },
    passwordChangedAt: { type: Date, required: true },
    disabled: { type: Boolean, default: false },
    lastLoginAt: { type: Date, default: null },
    /** Node ids of every grant, so "users within my scope" is an equality query. */
    grantPaths: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
staffUserSchema.index({ username: 1 }, { unique: true });
staffUserSchema.index({ grantPaths: 1 });

export const StaffUserModel = defineModel('StaffUser', 'staff_users', staffUserSchema);
