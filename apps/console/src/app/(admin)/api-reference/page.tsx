import type { Metadata } from "next";
import reference from "~/generated/api-reference.json";
import { SchemaTable, type JsonSchema } from "./_components/schema-table";

export const metadata: Metadata = { title: "API reference" };

interface Procedure {
  path: string;
  namespace: string;
  type: "query" | "mutation" | "subscription";
  description: string | null;
  input: JsonSchema | null;
  output: string | null;
}

const KIND = { query: "q", mutation: "m", subscription: "s" } as const;

/**
 * Every procedure of the router, generated at build time from its zod schemas (inputs, as JSON
 * Schema) and from the types the router infers (outputs): scripts/generate-api-reference.ts.
 */
export default function ApiReferencePage() {
  const procedures = reference.procedures as Procedure[];
  const namespaces = [...new Set(procedures.map((p) => p.namespace))];
  const types = reference.types as Record<string, string>;
  return (
    <>
      <h1>API reference</h1>
      <p className="muted">
        {procedures.length} procedures over tRPC v11 (WebSocket at <code>/trpc</code>; queries and mutations also over HTTP). Inputs are
        JSON Schema generated from the router&apos;s zod schemas; outputs are the TypeScript types the router infers. Regenerated on every
        build (<code>npm run api-reference -w @cohort/console</code>).
      </p>
      <nav className="panel small row" aria-label="Namespaces">
        {namespaces.map((ns) => (
          <a key={ns} href={`#${ns}`}>
            {ns}
          </a>
        ))}
      </nav>
      {namespaces.map((ns) => (
        <section key={ns} id={ns} className="panel">
          <h2 style={{ marginTop: 0 }}>{ns}</h2>
          {procedures
            .filter((p) => p.namespace === ns)
            .map((p) => (
              <article key={p.path} id={p.path} data-procedure={p.path} style={{ borderTop: "1px solid var(--line)", padding: "0.6rem 0" }}>
                <h3 className="row" style={{ margin: 0 }}>
                  <code>{p.path}</code>
                  <span className={`badge ${p.type === "subscription" ? "running" : p.type === "mutation" ? "pending" : ""}`} title={p.type}>
                    {KIND[p.type]} · {p.type}
                  </span>
                </h3>
                {p.description ? <p>{p.description}</p> : null}
                <div className="small">
                  <strong>Input</strong>
                  {p.input ? <SchemaTable schema={p.input} /> : <span className="muted"> none</span>}
                  {p.input ? (
                    <details>
                      <summary className="muted">JSON Schema</summary>
                      <pre style={{ overflowX: "auto" }}>{JSON.stringify(p.input, null, 2)}</pre>
                    </details>
                  ) : null}
                  <strong>{p.type === "subscription" ? "Events" : "Output"}</strong>
                  <pre style={{ whiteSpace: "pre-wrap", margin: "0.3rem 0" }}>{p.output ?? "unknown"}</pre>
                </div>
              </article>
            ))}
        </section>
      ))}
      {Object.keys(types).length > 0 ? (
        <section className="panel" id="types">
          <h2 style={{ marginTop: 0 }}>Named types</h2>
          {Object.entries(types).map(([name, text]) => (
            <p key={name} className="small">
              <code>
                <strong>{name}</strong> = {text}
              </code>
            </p>
          ))}
        </section>
      ) : null}
    </>
  );
}
