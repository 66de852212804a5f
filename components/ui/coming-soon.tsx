import { Panel } from "./panel";

/** An honest placeholder for a console section that a later release fills; says what is coming. */
export function ComingSoon({ feature, items }: { feature: string; items: string[] }) {
  return (
    <Panel>
      <div className="flex items-start gap-4">
        <span aria-hidden className="mt-0.5 shrink-0 whitespace-nowrap rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800">
          Coming soon
        </span>
        <div>
          <p className="text-sm text-slate-700">{feature} is not available in this version yet. It will bring:</p>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-600">
            {items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      </div>
    </Panel>
  );
}
