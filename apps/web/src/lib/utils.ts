import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}

type MaybeTrpcError = { message?: unknown; data?: { fieldErrors?: Record<string, string> | null } | null };

/** The message to show a person: never a stack. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && typeof (error as MaybeTrpcError).message === "string") {
    return (error as { message: string }).message;
  }
  return "Something went wrong";
}

/** Field errors sent by the API's error formatter (`error.data.fieldErrors`). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fe = (error as MaybeTrpcError | null)?.data?.fieldErrors;
  return fe && typeof fe === "object" ? fe : {};
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relativeTime(date: Date | string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  const diff = (d.getTime() - Date.now()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), "second");
  if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), "day");
  return d.toISOString().slice(0, 10);
}

export function utc(date: Date | string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export const LAST_SCOPE_KEY = "vw:lastScope";
