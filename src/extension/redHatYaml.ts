/**
 * Whether Red Hat YAML validates in this window, for the server's 'auto' schema mode: it leaves
 * files with a `$schema` modeline to Red Hat YAML only while that extension can check them.
 * VS Code lists only enabled extensions (`extensions.getExtension` is undefined for a disabled
 * one), and `yaml.validate: false` turns Red Hat YAML's checks off.
 */
import * as vscode from 'vscode';
import { OTHER_EXTENSIONS, OTHER_SETTINGS } from './constants';

export function redHatYamlValidates(): boolean {
  if (vscode.extensions.getExtension(OTHER_EXTENSIONS.redHatYaml) === undefined) return false;
  return vscode.workspace.getConfiguration().get<boolean>(OTHER_SETTINGS.redHatYamlValidate, true) !== false;
}

/** Calls `onChange` with the new state each time Red Hat YAML starts or stops validating. */
export function watchRedHatYaml(onChange: (active: boolean) => void): vscode.Disposable {
  let last = redHatYamlValidates();
  const check = (): void => {
    const now = redHatYamlValidates();
    if (now === last) return;
    last = now;
    onChange(now);
  };
  return vscode.Disposable.from(
    vscode.extensions.onDidChange(check),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(OTHER_SETTINGS.redHatYamlValidate)) check();
    }),
  );
}
