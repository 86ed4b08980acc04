# Release notes build configuration (reno + sphinx).
extensions = ['openstackdocstheme', 'reno.sphinxext']
templates_path = ['_templates']
source_suffix = '.rst'
master_doc = 'index'
project = 'keystone-mfa-ext Release Notes'
copyright = 'keystone-mfa-ext developers'
release = ''
version = ''
language = 'en'
exclude_patterns = []
pygments_style = 'native'
html_theme = 'openstackdocs'
html_static_path = ['_static']
