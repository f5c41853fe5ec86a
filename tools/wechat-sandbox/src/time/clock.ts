/**
 * WeChat's clock as the sandbox plays it. A skew makes it disagree with the
 * merchant's clock, which is how tests exercise the ±5 minute rules on both
 * sides (request timestamps here, response and notification timestamps at the
 * server).
 */
export class SandboxClock {
  private skewMs = 0;

  now(): number {
    return Date.now() + this.skewMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  get skewSeconds(): number {
    return this.skewMs / 1000;
  }

  setSkewSeconds(seconds: number): void {
    this.skewMs = Math.round(seconds * 1000);
  }
}
