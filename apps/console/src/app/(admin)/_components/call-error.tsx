import type { ServerCallError } from "~/trpc/server";

/** A failed server call, said plainly (the page still renders). */
export function CallError({ what, error }: { what: string; error: ServerCallError }) {
  return (
    <div className="alert" role="alert">
      <strong>Could not load {what}.</strong> {error.message}{" "}
      <span className="muted small">
        ({error.code}
        {error.appCode ? ` / ${error.appCode}` : ""})
      </span>
    </div>
  );
}
