import { MarkedText } from "./marked-text";

// A payload as a collapsible tree. Keys and values are untrusted and rendered as text only.
export function JsonView({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="text-slate-500">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    return (
      <div className="break-words pl-4 font-mono text-xs leading-5">
        {label}
        {typeof value === "string" ? (
          <span className="text-emerald-800">
            &quot;
            <MarkedText text={value} />
            &quot;
          </span>
        ) : (
          <span className="text-brand-700">{String(value)}</span>
        )}
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="pl-4 font-mono text-xs leading-5">
        {label}
        {open + close}
      </div>
    );
  }
  return (
    <details open={depth < 2} className="pl-4 font-mono text-xs leading-5">
      <summary className="cursor-pointer select-none text-slate-700">
        {label}
        {open}
        <span className="text-slate-400"> {entries.length} {Array.isArray(value) ? "items" : "keys"} </span>
      </summary>
      {entries.map(([k, v]) => (
        <JsonView key={k} name={k} value={v} depth={depth + 1} />
      ))}
      <div className="text-slate-700">{close}</div>
    </details>
  );
}
