"use client";

import { useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A step that cannot be undone asks first: the trigger opens a modal dialog that spells out the
 * consequence; only its confirm button runs the step. Escape or "Go back" closes it untouched.
 */
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirmLabel,
  onConfirm,
  disabled,
  tone = "danger",
}: {
  trigger: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  tone?: "danger" | "primary";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <Button type="button" variant={tone === "danger" ? "danger" : "primary"} disabled={disabled} onClick={() => ref.current?.showModal()}>
        {trigger}
      </Button>
      <dialog ref={ref} aria-labelledby={titleId} className="w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <div className="space-y-2 text-sm text-slate-700">{children}</div>
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            <Button type="button" variant="secondary" onClick={() => ref.current?.close()}>
              Go back
            </Button>
            <Button
              type="button"
              variant={tone === "danger" ? "danger" : "primary"}
              className={tone === "danger" ? "bg-red-600 text-white ring-red-600 hover:bg-red-700" : undefined}
              onClick={() => {
                ref.current?.close();
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
