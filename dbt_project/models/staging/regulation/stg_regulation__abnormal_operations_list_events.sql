{{ stage_regulation_list_events(source('regulation', 'abnormal_operations')) }}
