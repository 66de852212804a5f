"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { fileRequestAction } from "@/lib/privacy/request-actions";
import { ADMIN_VERIFICATION_METHODS, REQUEST_TYPE_LABELS, REQUEST_TYPES, VERIFICATION_LABELS } from "@/lib/privacy/request-rules";

/** An admin files a request on a person's behalf: who, what, how to reach them, how they were verified. */
export function FileRequestForm({ purposes }: { purposes: { key: string; name: string }[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [type, setType] = useState("access");
  const fieldError = (name: string) => fieldErrors[name] && <p className="mt-1 text-xs text-red-700">{fieldErrors[name]}</p>;
  return (
    <form
      aria-label="File a request"
      className="max-w-2xl space-y-4"
      action={(f) =>
        start(async () => {
          setError(null);
          const result = await fileRequestAction({
            subject: f.get("subject"),
            type: f.get("type"),
            purpose: f.get("purpose") || undefined,
            details: f.get("details") || undefined,
            requesterContact: f.get("requesterContact"),
            verificationMethod: f.get("verificationMethod"),
          });
          if (result.ok) router.push(`/admin/privacy-requests/${result.data}`);
          else {
            setError(result.error);
            setFieldErrors(result.fieldErrors ?? {});
          }
        })
      }
    >
      <FormError message={error} />
      <div>
        <label htmlFor="file-subject" className="block text-sm font-medium text-slate-700">
          Application user id
        </label>
        <input id="file-subject" name="subject" required className={inputClass} placeholder="The id your application uses for this person" />
        {fieldError("subject")}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="file-type" className="block text-sm font-medium text-slate-700">
            Kind of request
          </label>
          <select id="file-type" name="type" className={inputClass} value={type} onChange={(e) => setType(e.target.value)}>
            {REQUEST_TYPES.map((t) => (
              <option key={t} value={t}>
                {REQUEST_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        {type === "objection" && (
          <div>
            <label htmlFor="file-purpose" className="block text-sm font-medium text-slate-700">
              Objects to
            </label>
            <select id="file-purpose" name="purpose" className={inputClass}>
              {purposes.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
            </select>
            {fieldError("purpose")}
          </div>
        )}
      </div>
      <div>
        <label htmlFor="file-contact" className="block text-sm font-medium text-slate-700">
          How to reach the requester
        </label>
        <input id="file-contact" name="requesterContact" required className={inputClass} placeholder="E-mail, phone or support ticket" />
        {fieldError("requesterContact")}
      </div>
      <div>
        <label htmlFor="file-verification" className="block text-sm font-medium text-slate-700">
          How their identity was verified
        </label>
        <select id="file-verification" name="verificationMethod" className={inputClass} defaultValue="email_confirmation">
          {ADMIN_VERIFICATION_METHODS.map((m) => (
            <option key={m} value={m}>
              {VERIFICATION_LABELS[m]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="file-details" className="block text-sm font-medium text-slate-700">
          What they asked (their words)
        </label>
        <textarea id="file-details" name="details" rows={3} maxLength={4000} className={inputClass} />
        {fieldError("details")}
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Filing…" : "File the request"}
      </Button>
    </form>
  );
}
