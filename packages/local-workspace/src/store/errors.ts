/** A problem with the data a caller sent (never with the database): the HTTP layer turns it into a 400. */
export type InputProblem = { index?: number; field?: string; message: string };

export class StoreInputError extends Error {
  constructor(
    message: string,
    readonly details: InputProblem[] = [],
  ) {
    super(message);
    this.name = "StoreInputError";
  }
}
