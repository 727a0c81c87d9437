/** Why a connection was refused; sent as the close reason so clients can tell the user. */
export type AuthFailure =
  | "MISSING_CREDENTIALS"
  | "MALFORMED_TOKEN"
  | "TOKEN_EXPIRED"
  | "TOKEN_NOT_YET_VALID"
  | "BAD_SIGNATURE"
  | "BAD_CLAIMS"
  | "UNKNOWN_USER"
  | "BAD_ADMIN_KEY"
  | "BAD_TEST_TOKEN"
  | "INTROSPECTION_FAILED";

export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly reason: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}
