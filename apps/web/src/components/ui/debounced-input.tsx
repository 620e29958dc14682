"use client";

import { useEffect, useState, type InputHTMLAttributes } from "react";
import { Input } from "./input";

/**
 * A text box whose value is owned elsewhere (a filter in the URL): typing shows at once, `onChange` gets the trimmed
 * text once typing pauses, and a change from outside (back button, "clear filters") replaces what is shown.
 */
export function DebouncedInput({
  value,
  onChange,
  delayMs = 300,
  ...rest
}: { value: string; onChange: (value: string) => void; delayMs?: number } & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text.trim()), delayMs);
    return () => clearTimeout(t);
  }, [text, value, onChange, delayMs]);
  return <Input {...rest} value={text} onChange={(e) => setText(e.target.value)} />;
}
