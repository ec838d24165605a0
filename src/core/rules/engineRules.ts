/**
 * Rules the engine reports while it reads files and evaluates ApplicationSets. They have no
 * `run`: listing them here gives them a description, a default severity and a place in the
 * severity settings like every other rule.
 */
import type { Rule } from './types';

export const ENGINE_RULES = [
  { id: 'duplicate-key', description: 'A key appears twice in one mapping of a file whose reader rejects it (kustomize reading a resource it lists).', defaultSeverity: 'error' },
  { id: 'duplicate-key-last-wins', description: 'A key appears twice in one mapping and the reader silently keeps the last one (kustomize reading its kustomization, helm reading values, Argo CD and kubectl reading manifests).', defaultSeverity: 'warning' },
  { id: 'helm-template-manifest', description: 'An Argo CD manifest in a Helm chart\'s templates: it exists only after helm renders the chart, so it is not read.', defaultSeverity: 'info' },
  { id: 'yaml-ignored', description: 'Text of a YAML file that its reader never reads: after an end-of-document `...`, or indented less than an indented top-level map (Kubernetes, Argo CD and kustomize read the top-level node of each document only).', defaultSeverity: 'warning' },
  { id: 'binary-file', description: 'A file named like YAML holds binary data.', defaultSeverity: 'warning' },
  { id: 'file-too-large', description: 'An Argo CD file too large to check.', defaultSeverity: 'warning' },
  { id: 'nesting-too-deep', description: 'A file, templatePatch or elementsYaml nesting deeper than Home-Ops reads (128 levels; Argo CD reads 10,000): not checked, reported once where the limit is passed.', defaultSeverity: 'warning' },
  { id: 'broken-symlink', description: 'A symbolic link that loops or points nowhere.', defaultSeverity: 'warning' },
  { id: 'symlink-not-followed', description: 'A symbolic link to a folder, which Argo CD does not follow when listing directories.', defaultSeverity: 'info' },
  { id: 'unreadable-path', description: 'A file or folder that cannot be read: permissions, a special file (FIFO, device, socket, or a link to one), a name that is not UTF-8.', defaultSeverity: 'warning' },
  { id: 'invalid-utf8', description: 'A file kustomize, helm or Argo CD reads that is not valid UTF-8 (they refuse it); at its first bad byte.', defaultSeverity: 'error' },
  { id: 'appset-invalid', description: 'An ApplicationSet without generators or template, or generating an Application without a name.', defaultSeverity: 'error' },
  { id: 'generator-invalid', description: 'A generator Argo CD cannot run: unknown type, missing field, wrong shape, too deep, conflicting parameters.', defaultSeverity: 'error' },
  { id: 'generator-path', description: 'A git directories pattern Argo CD cannot use (malformed, or starting with "/").', defaultSeverity: 'error' },
  { id: 'generator-file', description: 'A git files generator file that is not an object or a list of objects.', defaultSeverity: 'error' },
  { id: 'generator-offline', description: 'A generator (or cluster Secret) that cannot be evaluated from the repository alone.', defaultSeverity: 'warning' },
  { id: 'generator-template-ignored', description: 'A template override on a matrix/merge child, which Argo CD ignores.', defaultSeverity: 'warning' },
  { id: 'template-error', description: 'A template that fails to parse or to render for a parameter set.', defaultSeverity: 'error' },
  { id: 'template-options', description: 'A goTemplateOptions entry Go does not accept.', defaultSeverity: 'error' },
] as const satisfies readonly Rule[];
