/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    /** The build target, replaced at build time by Taro. */
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn';
    /** Base URL of the CampusPay API, fixed at build time by config/index.ts. */
    TARO_APP_API_BASE: string;
    /** The mini-program's version (miniprogram/package.json), fixed at build time. */
    TARO_APP_VERSION: string;
  }
}
