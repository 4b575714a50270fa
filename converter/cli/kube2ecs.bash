# bash completion for kube2ecs (installed by `cmake --install` and the .deb
# into share/bash-completion/completions/kube2ecs).
# Completes subcommands, the options of each, -f/--format names, and files
# or directories where an option or PATH takes them.  The option and format
# lists are the ones `kube2ecs help convert` prints (tests/e2e/docs_agree.sh
# checks that they stay the same).

_kube2ecs_convert_options="-m --mapping -o --output -n --namespace -f --format --exclude
--consolidate --layout --schedules-disabled --strict --baseline --allow --deny --keep-going
-v --verbose -q --quiet -h --help"
_kube2ecs_plan_batch_options="-m --mapping -n --namespace --json -v --verbose -h --help"
_kube2ecs_diff_options="-m --mapping --against -n --namespace -f --format --exclude -v --verbose
-h --help"
_kube2ecs_diff_formats="text json ecspresso ecs-deploy"
_kube2ecs_formats="ecspresso ecs-deploy"

_kube2ecs()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "convert diff mapping plan-batch help --help --version" -- "$cur"))
        return 0
    fi
    # bash splits --format=ecs into "--format" "=" "ecs"
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif [ "$cur" = "=" ]; then
        cur=""
    fi
    case ${COMP_WORDS[1]} in
    convert)
        case $prev in
        -f|--format)
            COMPREPLY=($(compgen -W "$_kube2ecs_formats" -- "$cur"))
            return 0 ;;
        -m|--mapping|--baseline)
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0 ;;
        -o|--output)
            COMPREPLY=($(compgen -d -- "$cur"))
            return 0 ;;
        --layout)
            COMPREPLY=($(compgen -W "ytt" -- "$cur"))
            return 0 ;;
        -n|--namespace|--exclude|--allow|--deny)
            return 0 ;;
        esac
        case $cur in
        -*) COMPREPLY=($(compgen -W "$_kube2ecs_convert_options" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
        esac ;;
    diff)
        case $prev in
        -f|--format)
            COMPREPLY=($(compgen -W "$_kube2ecs_diff_formats" -- "$cur"))
            return 0 ;;
        -m|--mapping)
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0 ;;
        --against)
            COMPREPLY=($(compgen -d -- "$cur"))
            return 0 ;;
        -n|--namespace|--exclude)
            return 0 ;;
        esac
        case $cur in
        -*) COMPREPLY=($(compgen -W "$_kube2ecs_diff_options" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
        esac ;;
    plan-batch)
        case $prev in
        -m|--mapping)
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0 ;;
        -n|--namespace)
            return 0 ;;
        esac
        case $cur in
        -*) COMPREPLY=($(compgen -W "$_kube2ecs_plan_batch_options" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
        esac ;;
    mapping)
        COMPREPLY=($(compgen -W "--defaults --help" -- "$cur")) ;;
    help)
        [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "convert diff mapping plan-batch" -- "$cur")) ;;
    esac
    return 0
}
complete -o filenames -F _kube2ecs kube2ecs
