/** The shape of the bridge's `invoke`, so stores and APIs can be built over any transport (tests use a real HTTP one). */
export type Invoke = <T = unknown>(command: string, args?: object) => Promise<T>;
