import { inputClass } from "@/components/ui/text-field";
import { AuditOutcome, enumValues } from "@/lib/db/enums";

const OUTCOMES = enumValues(AuditOutcome);

/** A plain GET form: the filters live in the URL, so a link reproduces the view. */
export function AuditFilters({ filter, actions }: { filter: { action?: string; outcome?: string; resourceType?: string }; actions: string[] }) {
  return (
    <form method="get" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-4" role="search" aria-label="Filter the audit log">
      <div>
        <label htmlFor="f-action" className="text-xs font-medium text-slate-600">
          Action
        </label>
        <select id="f-action" name="action" defaultValue={filter.action ?? ""} className={inputClass}>
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-outcome" className="text-xs font-medium text-slate-600">
          Outcome
        </label>
        <select id="f-outcome" name="outcome" defaultValue={filter.outcome ?? ""} className={inputClass}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-resource" className="text-xs font-medium text-slate-600">
          Resource type
        </label>
        <input id="f-resource" name="resourceType" defaultValue={filter.resourceType ?? ""} placeholder="e.g. api_key" className={inputClass} />
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Filter
        </button>
        <a href="/admin/audit" className="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">
          Clear
        </a>
      </div>
    </form>
  );
}
