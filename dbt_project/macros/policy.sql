{#- A parameter of the policy configuration (dbt_project/policy.yml, given to every dbt command
    as the var `policy` by pipelines.lib.dbt_manifest.policy_vars). Fails the compilation when a
    parameter is missing rather than fall back to a default written here. -#}
{% macro policy(section, name) -%}
    {%- set configuration = var('policy') -%}
    {%- if configuration is mapping
        and (section not in configuration or name not in configuration[section]) -%}
        {{ exceptions.raise_compiler_error("policy.yml has no parameter " ~ section ~ "." ~ name) }}
    {%- endif -%}
    {{- configuration[section][name] -}}
{%- endmacro %}
