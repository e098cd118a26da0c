app_name = "patrols"
urlpatterns: list = []
