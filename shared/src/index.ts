export * from './money.ts';
export * from './business-day.ts';
export * from './errors.ts';
export * from './identity.ts';
export * from './schemas/index.ts';
