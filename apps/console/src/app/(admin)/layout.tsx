import Link from "next/link";
import { requireAdminKey } from "~/trpc/server";
import { LinkBadge } from "./_components/link-badge";

/** Every admin page: the proxy already turned away requests without the cookie; check again here. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdminKey();
  return (
    <div className="shell">
      <nav className="nav" aria-label="Console">
        <div className="brand">Cohort console</div>
        <Link href="/lessons">Lessons</Link>
        <Link href="/load-tests">Load tests</Link>
        <Link href="/api-reference">API reference</Link>
        <form method="post" action="/api/sign-out">
          <LinkBadge />
          <button type="submit">Sign out</button>
        </form>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}
