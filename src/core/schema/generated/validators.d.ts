/** Types of validators.js, the schemas compiled ahead of time by scripts/schemas/build.ts. */
import type { ErrorObject } from 'ajv';

export interface CompiledValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const Application: CompiledValidator;
export declare const ApplicationSet: CompiledValidator;
export declare const AppProject: CompiledValidator;
export declare const Kustomization: CompiledValidator;
/** Schema `$id` → its deprecated fields (paths with `*` for array items), computed at build time. */
export declare const deprecations: Record<string, Array<{ path: Array<string | '*'>; message: string }>>;
