"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { removeAliasAction, setAliasAction } from "@/lib/training/training-actions";

interface Props {
  modelId: string;
  aliases: { alias: string; versionId: string }[];
  versions: { id: string; version: string }[];
}

// inputClass without its full width: these sit in a row.
const fieldClass = inputClass.replace("w-full", "");

/** Aliases (production, staging, …) each point at one version; moving one is audited. */
export function AliasManager({ modelId, aliases, versions }: Props) {
  const { pending, error, run } = useActionRunner();
  const [alias, setAlias] = useState(aliases.length === 0 ? "production" : "staging");
  const [versionId, setVersionId] = useState(versions[0]?.id ?? "");
  const versionOf = (id: string) => versions.find((v) => v.id === id)?.version ?? "?";

  return (
    <div className="space-y-4">
      <FormError message={error} />
      {aliases.length > 0 && (
        <ul className="divide-y divide-slate-100" data-testid="aliases">
          {aliases.map((a) => (
            <li key={a.alias} className="flex flex-wrap items-center gap-3 py-2 text-sm">
              <span className="w-28 font-medium text-slate-800">{a.alias}</span>
              <span className="text-slate-500">→</span>
              <select
                aria-label={`Version for ${a.alias}`}
                className={`${fieldClass} mt-0`}
                value={a.versionId}
                disabled={pending}
                onChange={(e) => run(() => setAliasAction({ modelId, alias: a.alias, versionId: e.target.value }))}
              >
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.version}
                  </option>
                ))}
              </select>
              <Button variant="ghost" disabled={pending} onClick={() => run(() => removeAliasAction({ modelId, alias: a.alias }))} aria-label={`Remove ${a.alias} (now ${versionOf(a.versionId)})`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => setAliasAction({ modelId, alias, versionId }));
        }}
      >
        <div>
          <label htmlFor="alias-name" className="block text-sm font-medium text-slate-700">
            Alias
          </label>
          <input id="alias-name" className={`${fieldClass} w-40`} value={alias} onChange={(e) => setAlias(e.target.value)} list="alias-suggestions" />
          <datalist id="alias-suggestions">
            <option value="production" />
            <option value="staging" />
            <option value="canary" />
          </datalist>
        </div>
        <div>
          <label htmlFor="alias-version" className="block text-sm font-medium text-slate-700">
            Version
          </label>
          <select id="alias-version" className={`${fieldClass} w-36`} value={versionId} onChange={(e) => setVersionId(e.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary" disabled={pending || !versionId}>
          Set alias
        </Button>
      </form>
    </div>
  );
}
