import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign in" };

const messages: Record<string, string> = {
  invalid: "That is not the admin key of this Cohort server.",
  unreachable: "The Cohort server did not answer. Is it running at COHORT_SERVER_URL?",
  expired: "The server no longer accepts the stored key. Sign in again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = typeof params.error === "string" ? messages[params.error] : undefined;
  const next = typeof params.next === "string" ? params.next : "";
  return (
    <main className="sign-in panel">
      <h1>Cohort console</h1>
      <p className="muted small">Sign in with the server&apos;s admin key (ADMIN_KEY). It is kept in an http-only cookie.</p>
      {error ? (
        <div className="alert" role="alert" data-testid="sign-in-error">
          {error}
        </div>
      ) : null}
      <form method="post" action="/api/sign-in" className="row" style={{ flexDirection: "column", alignItems: "stretch" }}>
        <label>
          Admin key
          <input name="adminKey" type="password" autoComplete="current-password" required minLength={16} autoFocus />
        </label>
        <input type="hidden" name="next" value={next} />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
