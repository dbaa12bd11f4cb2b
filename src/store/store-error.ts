/** The state database cannot be used as configured (not a database, damaged, too new, unreachable at start): a message to fix it by. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}
