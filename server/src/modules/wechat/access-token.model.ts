import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * WeChat's access_token per mini-program, shared by every server instance:
 * one stable token until it nears expiry, instead of a token per process.
 */
const accessTokenSchema = new Schema(
  {
    /** The mini-program's appid. */
    _id: { type: String, required: true },
    token: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);
export const WechatAccessTokenModel = defineModel('WechatAccessToken', 'wechat_access_tokens', accessTokenSchema);
