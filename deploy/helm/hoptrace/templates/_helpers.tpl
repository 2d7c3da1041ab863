{{/* Names and labels. */}}
{{- define "hoptrace.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hoptrace.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: include "hoptrace.selector" (list . "sensor") */}}
{{- define "hoptrace.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "hoptrace.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Kafka bootstrap servers: Strimzi's bootstrap service, or the existing cluster. */}}
{{- define "hoptrace.bootstrap" -}}
{{- if .Values.kafka.create -}}
{{- printf "%s-kafka-bootstrap:9092" .Values.kafka.name -}}
{{- else -}}
{{- required "kafka.externalBootstrap is required when kafka.create is false" .Values.kafka.externalBootstrap -}}
{{- end -}}
{{- end -}}

{{/*
hoptrace's topics: base name, partitions, config. The same as DetectionTopics.newTopics in
pipeline/ and TopicSettings.pcapTopics in schemas/ (the project's one definition);
ChartTopicsTest fails when they differ.
*/}}
{{- define "hoptrace.topics" -}}
{{- $arrival := dict "message.timestamp.type" "LogAppendTime" "retention.ms" (int64 .Values.topics.retentionMs) -}}
- {name: packets, partitions: {{ int .Values.topics.packetsPartitions }}, config: {{ merge (dict "cleanup.policy" "delete") $arrival | toJson }}}
- {name: nodes, partitions: 1, config: {"cleanup.policy": "compact"}}
- {name: drops, partitions: {{ int .Values.topics.packetsPartitions }}, config: {{ merge (dict "cleanup.policy" "delete") $arrival | toJson }}}
- {name: flows, partitions: 1, config: {{ $arrival | toJson }}}
- {name: alerts, partitions: 1, config: {{ $arrival | toJson }}}
- {name: alerts.ecs, partitions: 1, config: {{ $arrival | toJson }}}
- {name: incidents, partitions: 1, config: {{ $arrival | toJson }}}
{{- /* hoptrace pcap's request and answer topics (TopicSettings.pcapTopics): every sensor reads every
request, so one partition; kept an hour whatever topics.retentionMs says. */}}
- {name: pcap.requests, partitions: 1, config: {"cleanup.policy": "delete", "message.timestamp.type": "LogAppendTime", "retention.ms": 3600000}}
- {name: pcap.answers, partitions: 1, config: {"cleanup.policy": "delete", "message.timestamp.type": "LogAppendTime", "retention.ms": 3600000}}
{{- end -}}

{{/* --detect KEY=VALUE arguments, sorted. */}}
{{- define "hoptrace.detectArgs" -}}
{{- range $k := keys .Values.detection.settings | sortAlpha }}
- --detect
- {{ printf "%s=%v" $k (index $.Values.detection.settings $k) | quote }}
{{- end -}}
{{- end -}}

{{/* --alertmanager / --syslog arguments when set. */}}
{{- define "hoptrace.notifyArgs" -}}
{{- with .Values.detection.alertmanager }}
- --alertmanager
- {{ . | quote }}
{{- end }}
{{- with .Values.detection.syslog }}
- --syslog
- {{ . | quote }}
{{- end -}}
{{- end -}}
