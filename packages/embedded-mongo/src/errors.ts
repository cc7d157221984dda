// MongoDB error codes and names the driver and mongoose react to. Never use the not-primary /
// recovering family: the driver would mark the server Unknown and clear its pool.
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  InvalidBSON: 22,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  InvalidOptions: 72,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  WriteConflict: 112,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooOld: 225,
  NoSuchSession: 206,
  Location40352: 40352,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  PathNotViable: 28,
  Location16755: 16755,
  Unauthorized: 13,
  Location40323: 40323,
  Location40324: 40324,
  Location40601: 40601,
  Location40414: 40414,
  Location51183: 51183,
  Location51132: 51132,
  Location13113: 13113,
  CommandNotSupported: 115,
  ConflictingOperationInProgress: 117,
} as const;

const codeNames = new Map<number, string>(
  Object.entries(ErrorCodes).map(([name, code]) => [code, name]),
);

function codeNameOf(code: number): string {
  return codeNames.get(code) ?? "UnknownError";
}

/** An error answered to the client as `{ok: 0, errmsg, code, codeName}`. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly errorLabels: string[];
  readonly extra: Record<string, unknown>;

  constructor(
    code: number,
    message: string,
    opts: { labels?: string[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.codeName = codeNameOf(code);
    this.errorLabels = opts.labels ?? [];
    this.extra = opts.extra ?? {};
  }

  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The shape used inside `writeErrors`. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function writeConflict(): CommandError {
  return new CommandError(
    ErrorCodes.WriteConflict,
    "Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.",
    { labels: ["TransientTransactionError"] },
  );
}

/** Turns anything thrown while executing into a CommandError (mingo throws plain Errors). */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(ErrorCodes.BadValue, message);
}
