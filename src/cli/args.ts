// The one way every command reads its arguments: `--name value`, `--name=value`, or a plain word.

/**
 * Calls `each` for every argument with its option name (the part before '=' of `--name=value`) and a
 * `value()` that returns the option's value (after '=', or the next argument, which it consumes).
 */
export function forEachArg(argv: string[], fail: (message: string) => Error, each: (name: string, arg: string, value: () => string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    each(name, arg, () => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw fail(`${arg} needs a value`);
      return v;
    });
  }
}

/** `report --iface IF …` is live mode under another name. */
export function isLiveReport(argv: string[]): boolean {
  return argv.some((a) => a === '--iface' || a.startsWith('--iface='));
}
