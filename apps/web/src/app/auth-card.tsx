import { ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center bg-[radial-gradient(ellipse_at_top,_var(--color-zinc-100),_var(--color-zinc-50))] px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-zinc-900">
          <div className="flex size-8 items-center justify-center rounded-md bg-zinc-900 text-white">
            <ShieldCheck className="size-4.5" />
          </div>
          <span className="text-base font-semibold tracking-tight">Vaultwatch</span>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
          <h1 className="text-base font-semibold text-zinc-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-[13px] text-zinc-500">{subtitle}</p> : null}
          <div className="mt-5">{children}</div>
        </div>
      </div>
    </main>
  );
}
