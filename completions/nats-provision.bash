# SPDX-License-Identifier: MIT
# bash completion for nats-provision (installed as
# share/bash-completion/completions/nats-provision).

_nats_provision()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="validate plan apply check export status"
	local conn="-s --server --user --password --token --creds --nkey
	    --tlscert --tlskey --tlsca --js-domain --js-api-prefix --inbox-prefix
	    --context --timeout"

	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case " $cmds " in
		*" ${COMP_WORDS[i]} "*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return 0
	fi

	# Option arguments.
	case "$prev" in
	--creds|--nkey|--tlscert|--tlskey|--tlsca|--junit|--out)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	--context)
		local d=${XDG_CONFIG_HOME:-$HOME/.config}/nats/context
		COMPREPLY=($(compgen -W "$(cd "$d" 2>/dev/null &&
		    ls -- *.json 2>/dev/null | sed 's/\.json$//')" -- "$cur"))
		return 0 ;;
	-s|--server|--user|--password|--token|--timeout|--stream)
		return 0 ;;
	esac

	local opts="--help"
	case "$cmd" in
	validate) ;;
	plan) opts="$opts --prune --json --stream --out --detailed-exitcode $conn" ;;
	apply) opts="$opts --prune --stream --allow-data-loss --yes $conn" ;;
	check) opts="$opts --junit --stream $conn" ;;
	export) opts="$opts --stream $conn" ;;
	status) opts="$opts --json $conn" ;;
	esac

	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	case "$cmd" in
	export|status) ;;
	apply)
		# Spec files and directories, or a saved plan (plan --out).
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur")
		    $(compgen -f -X '!*.json' -- "$cur")
		    $(compgen -d -- "$cur")) ;;
	*)
		# Spec files and directories.
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur")
		    $(compgen -d -- "$cur")) ;;
	esac
	return 0
}
complete -F _nats_provision nats-provision
