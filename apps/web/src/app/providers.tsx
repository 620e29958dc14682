"use client";

import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { TrpcProviders } from "@/lib/trpc";

export function Providers({ children }: { children: ReactNode }) {
  return (
    <TrpcProviders>
      {children}
      <Toaster position="bottom-right" richColors closeButton toastOptions={{ className: "text-[13px]" }} />
    </TrpcProviders>
  );
}
