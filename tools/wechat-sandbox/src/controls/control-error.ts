/** A refused control call: `{code, message}` with a 4xx status. */
export class ControlError extends Error {
  override name = 'ControlError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
