{#-
    How fresh each registry source is, as of the build, and whether its latest run looks
    wrong. The states and their thresholds are HDX's (hdx-data-freshness): a source is
    fresh, due, overdue or delinquent by the days since its last successful run, by its
    declared cadence.
-#}

with

sources as (

    select * from {{ ref('stg_sources') }}

),

runs as (

    select * from {{ ref('stg_runs') }}

),

thresholds as (

    select * from {{ ref('freshness_thresholds') }}

),

published as (

    select
        *,
        row_number() over (partition by source_id order by ds desc) as recency
    from runs
    where status = 'published'

),

successes as (

    select
        source_id,
        count(*) as successful_runs,
        max(finished_at) as last_success_at,
        max(ds) as last_success_ds,
        any_value(records) filter (where recency = 1) as items_last_run,
        -- the trailing median: the up to seven successful runs before the latest
        median(records) filter (where recency between 2 and 8) as items_trailing_median,
        count(*) filter (where recency between 2 and 8) as trailing_runs
    from published
    group by source_id

),

latest_runs as (

    select
        source_id,
        status as last_run_status,
        ds as last_run_ds,
        detail as last_run_detail,
        quarantined as last_run_set_aside,
        refused as last_run_refused,
        extracted as last_run_extracted,
        by_selectors as last_run_by_selectors
    from runs
    qualify row_number() over (partition by source_id order by ds desc, finished_at desc) = 1

),

new_items as (

    -- the last day a source brought something new: a new article, or a new or revised value
    select
        source_id,
        max(first_seen_ds) as last_new_item_ds
    from {{ ref('int_article_versions') }}
    where version_number = 1
    group by source_id
    union all
    select
        source_id,
        max(landed_ds) as last_new_item_ds
    from {{ ref('fct_indicator_value_history') }}
    group by source_id

),

assessed as (

    select
        sources.source_id,
        sources.entity,
        sources.cadence,
        thresholds.due_days,
        thresholds.overdue_days,
        thresholds.delinquent_days,
        successes.last_success_at,
        successes.last_success_ds,
        new_items.last_new_item_ds,
        successes.items_last_run,
        successes.items_trailing_median,
        latest_runs.last_run_ds,
        latest_runs.last_run_status,
        latest_runs.last_run_detail,
        latest_runs.last_run_set_aside,
        latest_runs.last_run_refused,
        coalesce(successes.successful_runs, 0) as successful_runs,
        epoch(now() - successes.last_success_at) / 86400 as days_since_success,
        successes.trailing_runs >= 3
        and successes.items_last_run < successes.items_trailing_median / 2 as items_dropped,
        latest_runs.last_run_extracted,
        -- of the pages the latest run extracted (carried-forward articles say nothing)
        sources.has_body_selector
        and latest_runs.last_run_extracted > 0
        and latest_runs.last_run_by_selectors = 0 as selectors_matched_nothing

    from sources
    left join thresholds on sources.cadence = thresholds.cadence
    left join successes on sources.source_id = successes.source_id
    left join latest_runs on sources.source_id = latest_runs.source_id
    left join new_items on sources.source_id = new_items.source_id

)

select
    source_id,
    entity,
    cadence,
    case
        when last_success_at is null then 'never'
        when days_since_success < due_days then 'fresh'
        when days_since_success < overdue_days then 'due'
        when days_since_success < delinquent_days then 'overdue'
        else 'delinquent'
    end as freshness,
    round(days_since_success, 2) as days_since_success,
    last_success_at,
    last_success_ds,
    last_new_item_ds,
    items_last_run,
    items_trailing_median,
    successful_runs,
    last_run_ds,
    last_run_status,
    -- noqa: disable=RF01,RF02,RF03
    list_filter(
        [
            case
                when items_dropped
                    then 'layout change? items fell under half the trailing median'
            end,
            case
                when selectors_matched_nothing
                    then
                        'layout change? its selectors matched none of the '
                        || last_run_extracted || ' pages extracted'
            end,
            case
                when last_run_status in ('failed', 'quarantined')
                    then 'latest run ' || last_run_status || ': ' || coalesce(last_run_detail, '')
            end,
            case
                when last_run_status = 'published' and last_run_set_aside > 0
                    then
                        'latest run set ' || last_run_set_aside
                        || ' records aside: ' || coalesce(last_run_detail, '')
            end,
            case
                when last_run_refused > 0
                    then
                        'latest run refused ' || last_run_refused
                        || ' pages (soft 404 or most text lost): see its run summary'
            end
        ],
        lambda alarm: alarm is not null
    ) as alarms,
    -- noqa: enable=RF01,RF02,RF03
    due_days,
    overdue_days,
    delinquent_days,
    now() as assessed_at

from assessed
