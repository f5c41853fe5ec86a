export * from './common.ts';
export * from './auth.ts';
export * from './health.ts';
export * from './org.ts';
export * from './people.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './billing.ts';
