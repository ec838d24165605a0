/**
 * Where chart templates read their values, as go to definition needs it: the forms charts use
 * (`.Values.a.b`, `$.Values`, `index`, `hasKey`, variables, `with`/`range` dots), comments and
 * strings not taken for reads.
 */
import { strict as assert } from 'node:assert';
import { readCovers, templateValuesReads } from '../../../src/core/charts';

function reads(text: string): string[] {
  return templateValuesReads(text).map((r) => `${r.path.join('.')} @ ${text.slice(r.start, r.end)}`);
}

describe('charts: which values a template reads', () => {
  it('field chains from the root, from $ and through index/hasKey with literal keys', () => {
    const t = '{{ .Values.image.tag }} {{ $.Values.a }} {{ index .Values "b" "c-d" }} {{ if hasKey .Values.x "y" }}{{ end }}';
    assert.deepEqual(reads(t), ['image.tag @ .Values.image.tag', 'a @ $.Values.a', 'b.c-d @ index .Values "b" "c-d"', 'x @ .Values.x', 'x.y @ hasKey .Values.x "y"']);
  });

  it('the dot of with and range, their else branches, variables bound to values', () => {
    const t = [
      '{{- range $name, $c := .Values.controllers }}{{ $c.replicas }}{{ $name }}{{ end }}',
      '{{- with .Values.service }}{{ .port }}{{ else }}{{ .Values.other }}{{ end }}',
      '{{- range .Values.hosts }}{{ .host }}{{ end }}',
      '{{ $img := .Values.image }}{{ $img.repository }}',
      '{{- with .Values.a -}}{{- with .b -}}{{ .c }}{{- end -}}{{- end -}}',
    ].join('\n');
    assert.deepEqual(reads(t), [
      'controllers @ .Values.controllers',
      'controllers.*.replicas @ $c.replicas',
      'service @ .Values.service',
      'service.port @ .port',
      'other @ .Values.other',
      'hosts @ .Values.hosts',
      'hosts.*.host @ .host',
      'image @ .Values.image',
      'image.repository @ $img.repository',
      'a @ .Values.a',
      'a.b @ .b',
      'a.b.c @ .c',
    ]);
  });

  it('comments, strings and other data are not reads; a helper reads from its root', () => {
    const t = '{{/* .Values.commented */}}{{ ".Values.quoted" }}{{ .Release.Name }}{{ .Chart.Version }}{{- define "x.name" -}}{{ .Values.nameOverride | default 1.5 }}{{- end }}';
    assert.deepEqual(reads(t), ['nameOverride @ .Values.nameOverride']);
  });

  it('a range element stands for any key or index', () => {
    assert.ok(readCovers(['controllers', '*', 'replicas'], ['controllers', 'sonarr', 'replicas']));
    assert.ok(readCovers(['controllers', '*', 'replicas'], ['controllers', 'sonarr']));
    assert.ok(!readCovers(['controllers', '*', 'replicas'], ['controllers', 'sonarr', 'image']));
  });
});
