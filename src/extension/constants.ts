/**
 * Every command id, view id and setting name the extension uses, in one place; a unit test
 * checks that package.json contributes exactly these.
 */
export const COMMANDS = {
  showLog: 'homeOps.showLog',
} as const;

export const SETTINGS = {
  section: 'homeOps',
  exclude: 'homeOps.exclude',
} as const;

export const OUTPUT_CHANNEL_NAME = 'Home-Ops';
