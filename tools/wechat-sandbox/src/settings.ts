/** What a running sandbox can be tuned with, at start or through POST /sandbox/settings. */
export interface SandboxSettings {
  /** Multiplies WeChat's own timings: the notification retry schedule and refund processing. */
  timeScale: number;
  /** WeChat's fee rate in basis points of the amount (60 = 0.60%). */
  feeRateBasisPoints: number;
  /** Serve a day's bill at once instead of from 10:00 the next day (Asia/Shanghai). */
  billsReadyImmediately: boolean;
  /** How long a refund stays PROCESSING before it ends, in WeChat seconds (scaled by timeScale). */
  refundProcessingSeconds: number;
}

/** "0.60%" → 60 basis points. */
export function parseFeeRate(rate: string): number | undefined {
  const match = /^(\d{1,2}(?:\.\d{1,2})?)%$/.exec(rate.trim());
  return match ? Math.round(Number(match[1]) * 100) : undefined;
}

/** 60 basis points → "0.60%", the bill's 费率 column. */
export function formatFeeRate(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(2)}%`;
}
