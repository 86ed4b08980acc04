#!/bin/bash
#
# DevStack plugin dispatcher for keystone-mfa-ext.

source "$DEST/keystone-mfa-ext/devstack/lib/keystone-mfa-ext"

if is_service_enabled keystone-mfa-ext; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing keystone-mfa-ext"
        install_keystone_mfa_ext
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring keystone-mfa-ext"
        configure_keystone_mfa_ext "$KEYSTONE_CONF"
        configure_keystone_mfa_ext_wsgi "$KEYSTONE_PUBLIC_UWSGI_CONF"
        init_keystone_mfa_ext
        restart_service devstack@keystone
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        if [[ "$KEYSTONE_MFA_EXT_DEMO_DATA" == "True" ]]; then
            echo_summary "Creating keystone-mfa-ext demo data"
            create_keystone_mfa_ext_demo_data
        fi
    elif [[ "$1" == "stack" && "$2" == "test-config" ]]; then
        if is_service_enabled tempest; then
            iniset "$TEMPEST_CONFIG" identity-feature-enabled security_compliance True
        fi
    fi
    if [[ "$1" == "unstack" ]]; then
        :
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_keystone_mfa_ext
    fi
fi
