export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6">
        <rect x="2" y="2" width="20" height="20" rx="6" className="fill-brand-600" />
        <path d="M7 8h10M7 12h7M7 16h4" strokeWidth="2" strokeLinecap="round" className="stroke-white" />
      </svg>
      Clearlog
    </span>
  );
}
