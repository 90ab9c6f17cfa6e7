/**
 * The one error type for bad client input anywhere in the render core.
 * Adapters turn it into a 400 with `{ error, detail }`; `field` says which part
 * of the request was wrong so the detail can name it.
 */
export class ValidationError extends Error {
  readonly field: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = "ValidationError";
    this.field = field;
  }
}
