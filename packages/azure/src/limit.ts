/** At most `n` tasks at once per key; the rest wait their turn in arrival order. */
export class KeyedLimit {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  constructor(private readonly n: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if ((this.active.get(key) ?? 0) >= this.n) {
      await new Promise<void>((resolve) => this.waiting.set(key, [...(this.waiting.get(key) ?? []), resolve]));
    } else {
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.get(key)?.shift();
      // a waiter takes over the finished task's place; with none, the place is freed
      if (next) next();
      else if ((this.active.get(key) ?? 1) <= 1) this.active.delete(key);
      else this.active.set(key, this.active.get(key)! - 1);
    }
  }
}
