export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  [constraint: string]: unknown;
}

const CONSTRAINTS = ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "format"];

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeOf).join(" | ");
  if (schema.allOf) return schema.allOf.map(typeOf).join(" & ");
  if (schema.type === "array") return `${schema.items ? typeOf(schema.items) : "unknown"}[]`;
  if (schema.type === "object" && !schema.properties && typeof schema.additionalProperties === "object") return `Record<string, ${typeOf(schema.additionalProperties)}>`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
}

function constraintsOf(schema: JsonSchema): string {
  const parts = CONSTRAINTS.filter((k) => schema[k] !== undefined).map((k) => `${k} ${String(schema[k])}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(", ");
}

function rows(schema: JsonSchema, prefix: string): { name: string; schema: JsonSchema; required: boolean }[] {
  const own = Object.entries(schema.properties ?? {}).map(([name, child]) => ({ name: `${prefix}${name}`, schema: child, required: schema.required?.includes(name) ?? false }));
  return own.flatMap((row) => [row, ...(row.schema.properties ? rows(row.schema, `${row.name}.`) : [])]);
}

/** An object schema's fields (nested objects flattened to dotted names). */
export function SchemaTable({ schema }: { schema: JsonSchema }) {
  const fields = rows(schema, "");
  if (fields.length === 0) return <code> {typeOf(schema)}</code>;
  return (
    <table style={{ margin: "0.3rem 0", tableLayout: "fixed" }}>
      <colgroup>
        <col style={{ width: "30%" }} />
        <col style={{ width: "30%" }} />
        <col />
      </colgroup>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name}>
            <td className="mono">
              {f.name}
              {f.required ? "" : "?"}
            </td>
            <td className="mono">{f.schema.properties ? "object" : typeOf(f.schema)}</td>
            <td className="muted">{constraintsOf(f.schema)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
